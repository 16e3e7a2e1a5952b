//! The outcome of an appeal reaches the unit's contacts and its consultant, each in
//! their language; the outcome of a complaint reaches the complainant who left an
//! address, in the language they chose, through a real SMTP server on loopback.

use awc::http::Method;
use serde_json::json;

use crate::helpers::spawn_app;

#[actix_rt::test]
async fn an_appeals_outcome_reaches_the_unit_and_its_consultant_in_their_language() {
    // Given a returned case appealed by its English contact
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let world = &unit.world;
    app.drive_to(world, "audit").await;
    app.return_with(
        world,
        json!([{"severity": "minor", "text": "Rutinen saknas."}]),
    )
    .await
    .should_be(200);
    let id = app
        .post(
            &unit.contact_en.token,
            &format!("/cases/{}/appeals", world.case_id),
            &json!({"text": "The routine is in our handbook."}),
        )
        .await
        .should_be(201)
        .id();

    // When an admin upholds it and the worker delivers
    app.patch(
        &app.admin.token,
        &format!("/appeals/{id}"),
        &json!({"outcome": "upheld", "comment": "Handboken räcker."}),
    )
    .await
    .should_be(200);
    app.dispatch().await;

    // Then the contacts and the consultant each got the outcome, in their language
    let to: Vec<String> = app
        .mail_of_kind("appeal_decided")
        .await
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(to, unit.contacts_and_consultant());
    let en = &app.smtp.mails_to(&unit.contact_en.email);
    let en = en
        .iter()
        .find(|m| m.subject.starts_with("The appeal"))
        .expect("the outcome");
    assert!(en.subject.contains("Upheld"), "{}", en.subject);
    assert!(en.text.contains("back in audit"), "{}", en.text);
    assert!(en.text.contains("Handboken räcker."), "{}", en.text);
    let sv = &app.smtp.mails_to(&unit.contact_sv.email);
    let sv = sv
        .iter()
        .find(|m| m.subject.starts_with("Överklagandet"))
        .expect("the outcome");
    assert!(sv.text.contains("tillbaka i granskning"), "{}", sv.text);
    // The auditor hears that the audit is theirs again
    assert!(
        app.mail_of_kind("audit_requested")
            .await
            .iter()
            .filter(|(r, _)| *r == world.auditor.email)
            .count()
            >= 2
    );
}

#[actix_rt::test]
async fn a_complaints_outcome_reaches_the_complainant_and_nobody_else() {
    let app = spawn_app().await;
    let id = app
        .call(
            Method::POST,
            "/api/v1/complaints",
            None,
            &[],
            Some(
                &json!({"text": "Slow answers.", "email": "someone@example.org", "language": "en"}),
            ),
        )
        .await
        .should_be(201)
        .id();
    app.patch(
        &app.admin.token,
        &format!("/complaints/{id}"),
        &json!({"outcome": "upheld", "comment": "We answer within a week now."}),
    )
    .await
    .should_be(200);
    app.dispatch().await;

    let mails = app.smtp.mails();
    assert_eq!(
        mails.len(),
        1,
        "{:?}",
        mails.iter().map(|m| &m.to).collect::<Vec<_>>()
    );
    let mail = &mails[0];
    assert_eq!(mail.to, "someone@example.org");
    assert!(mail.subject.contains("Upheld"), "{}", mail.subject);
    assert!(mail.text.contains("certifying body"), "{}", mail.text);
    assert!(
        mail.text.contains("We answer within a week now."),
        "{}",
        mail.text
    );
    assert!(mail.html.contains("<html lang=\"en\">"));
}
