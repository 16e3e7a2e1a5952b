//! `GET /users/{id}/export`, `POST /users/{id}/erase` and
//! `POST /units/{id}/erase-contact`: a person's data on request, and erasure that
//! leaves every history and hash chain intact (`stegvis verify-log` stays clean).

use serde_json::json;

use crate::helpers::{spawn_app, PASSWORD};
use crate::history::verify_log;

#[actix_rt::test]
async fn an_export_holds_the_profile_the_sign_ins_the_events_and_the_mails() {
    // Given a consultant who signed in, enrolled a unit and scheduled a session
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let me = &world.consultant;
    app.schedule_session(&me.token, &world.case_id, "kickoff", 3)
        .await;
    app.add_evidence(&me.token, &world.case_id, "equality_plan")
        .await
        .should_be(201);
    // When they export their own data
    let export = app
        .get(&me.token, &format!("/users/{}/export", me.id))
        .await
        .should_be(200);
    let data = &export.body;
    // Then it holds their profile, their sign-in, the case events they acted in and
    // the mails written to them (kind and subject, not the contents)
    assert_eq!(data["profile"]["id"], me.id.as_str());
    assert_eq!(data["profile"]["email"], me.email.as_str());
    let kinds = |list: &str| -> Vec<String> {
        data[list]
            .as_array()
            .unwrap_or_else(|| panic!("{list} is a list: {data}"))
            .iter()
            .map(|e| e["kind"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(kinds("access").contains(&"sign_in".to_string()), "{data}");
    let events = kinds("case_events");
    assert!(events.contains(&"enrolled".to_string()), "{events:?}");
    assert!(
        events.contains(&"session_scheduled".to_string()),
        "{events:?}"
    );
    for event in data["case_events"].as_array().unwrap() {
        assert_eq!(event["case_id"], world.case_id.as_str());
    }
    // And the evidence they added, outside the histories
    let records = data["records"].as_array().expect("records");
    assert_eq!(records.len(), 1, "{data}");
    assert_eq!(records[0]["kind"], "evidence");
    assert_eq!(records[0]["part"], "added");
    let mails = data["mails"].as_array().expect("mails");
    assert!(!mails.is_empty(), "{data}");
    for mail in mails {
        assert!(mail["subject"].is_string() && mail["kind"].is_string());
        assert!(mail.get("payload").is_none(), "{mail}");
    }
    // And the export itself is in the access audit
    let log = app
        .get(
            &app.admin.token,
            &format!("/audit-log?kind=export&user_id={}", me.id),
        )
        .await
        .should_be(200);
    assert_eq!(log.items().len(), 1, "{}", log.text);
    assert_eq!(log.items()[0]["actor_id"], me.id.as_str());
}

#[actix_rt::test]
async fn only_the_admin_or_the_person_may_export() {
    let app = spawn_app().await;
    let one = app.create_user("consultant", None, None).await;
    let other = app.create_user("consultant", None, None).await;
    let path = format!("/users/{}/export", one.id);
    app.get(&app.admin.token, &path).await.should_be(200);
    app.get(&other.token, &path)
        .await
        .should_be_problem(403, None);
    app.get(&app.admin.token, "/users/01UNKNOWNUSER/export")
        .await
        .should_be_problem(404, None);
    // And a refused export is not recorded as one
    let log = app
        .get(
            &app.admin.token,
            &format!("/audit-log?kind=export&user_id={}", one.id),
        )
        .await
        .should_be(200);
    assert_eq!(log.items().len(), 1, "{}", log.text);
}

#[actix_rt::test]
async fn erasure_leaves_the_pseudonym_only_and_every_history_still_verifies() {
    // Given a consultant with a unique name who has worked a case through audit
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let person = &world.consultant;
    app.patch(
        &app.admin.token,
        &format!("/users/{}", person.id),
        &json!({ "name": "Zelda Unikadottir" }),
    )
    .await
    .should_be(200);
    let (code, stdout, stderr) = verify_log(&app);
    assert_eq!(code, 0, "the history verifies before: {stdout} {stderr}");
    let events_before = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body;

    // When the admin erases them
    let erased = app
        .post(
            &app.admin.token,
            &format!("/users/{}/erase", person.id),
            &json!({}),
        )
        .await
        .should_be(200);

    // Then their name and address are a pseudonym and the account is closed
    let name = erased.body["name"].as_str().expect("a name");
    let email = erased.body["email"].as_str().expect("an address");
    assert!(name.starts_with("Raderad användare "), "{name}");
    assert!(email.ends_with(".invalid"), "{email}");
    assert_eq!(erased.body["active"], false);
    app.get_me(&person.token).await.should_be_problem(401, None);
    app.post_token(&person.email, PASSWORD)
        .await
        .should_be_problem(401, None);
    // And every history still verifies, with the same events
    let (code, stdout, stderr) = verify_log(&app);
    assert_eq!(code, 0, "the history verifies after: {stdout} {stderr}");
    let events_after = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body;
    assert_eq!(events_before, events_after);
    // And the export of the erased person is the pseudonym only
    let export = app
        .get(&app.admin.token, &format!("/users/{}/export", person.id))
        .await
        .should_be(200);
    assert!(!export.text.contains("Zelda"), "{}", export.text);
    assert!(!export.text.contains(&person.email), "{}", export.text);
    assert_eq!(export.body["profile"]["name"], name);
    assert!(!export.body["case_events"].as_array().unwrap().is_empty());
    // And no pending mail to the old address is left
    assert!(app
        .outbox_to(&person.email)
        .iter()
        .all(|(_, payload)| payload == &json!({})));
}

#[actix_rt::test]
async fn erasing_oneself_is_refused_and_only_an_admin_may_erase() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let other = app.create_user("auditor", None, None).await;
    app.post(
        &app.admin.token,
        &format!("/users/{}/erase", app.admin.id),
        &json!({}),
    )
    .await
    .should_be_problem(409, None);
    app.post(
        &consultant.token,
        &format!("/users/{}/erase", other.id),
        &json!({}),
    )
    .await
    .should_be_problem(403, None);
    app.post(&app.admin.token, "/users/01NOBODY/erase", &json!({}))
        .await
        .should_be_problem(404, None);
    // Nothing changed
    app.get_me(&other.token).await.should_be(200);
    app.get_me(&app.admin.token).await.should_be(200);
}

#[actix_rt::test]
async fn a_units_contact_address_is_erased_and_its_pending_mail_dropped() {
    // Given a unit with a contact address that was written to when it was enrolled
    let app = spawn_app().await;
    let org = app.create_organisation("Kommun").await;
    let contact = "kontakt-unik@example.se";
    let unit = app
        .post_units(
            &app.admin.token,
            &org,
            &json!({ "name": "Enheten", "headcount": 10, "contact_email": contact }),
        )
        .await
        .should_be(201)
        .id();
    let consultant = app.create_user("consultant", None, None).await;
    app.enrol(&consultant.token, &unit).await.should_be(201);
    assert!(!app.outbox_to(contact).is_empty());
    // When the admin erases the contact address (a consultant may not)
    let path = format!("/units/{unit}/erase-contact");
    app.post(&consultant.token, &path, &json!({}))
        .await
        .should_be_problem(403, None);
    app.post(&app.admin.token, &path, &json!({}))
        .await
        .should_be(204);
    // Then the unit has none and no mail to it is left
    let stored = app.get_unit(&app.admin.token, &unit).await.should_be(200);
    assert!(stored.body["contact_email"].is_null(), "{}", stored.text);
    assert!(app.outbox_to(contact).is_empty());
    let (code, stdout, stderr) = verify_log(&app);
    assert_eq!(code, 0, "{stdout} {stderr}");
}
