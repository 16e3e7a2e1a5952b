//! A workshop request's mails through a real SMTP server on loopback: the consultant
//! of the unit's case hears of the request; the one who asked hears the answer in
//! their language; an accepted request sends the unit's contacts the invitation.

use serde_json::json;

use crate::helpers::{spawn_app, TestApp};

async fn ask(app: &TestApp, token: &str) -> String {
    app.post(
        token,
        "/workshop-requests",
        &json!({
            "audience": "Night-shift cleaners",
            "wished_dates": ["2026-03-12"],
            "perspectives": ["Norms"],
        }),
    )
    .await
    .should_be(201)
    .id()
}

#[actix_rt::test]
async fn an_accepted_request_reaches_the_one_who_asked_and_invites_the_unit() {
    // Given an English contact's request, which the consultant is told of
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let id = ask(&app, &unit.contact_en.token).await;
    app.dispatch().await;
    let told = app.smtp.mails_to(&unit.world.consultant.email);
    let told = told
        .iter()
        .find(|m| m.subject.starts_with("Ny verkstadsförfrågan"))
        .expect("the consultant hears of the request");
    assert!(told.text.contains("Sam Manager"), "{}", told.text);
    assert!(told.text.contains("12 mars 2026"), "{}", told.text);
    assert!(
        told.text.contains(&format!("/workshop-requests/{id}")),
        "{}",
        told.text
    );

    // When the consultant accepts it
    app.post(
        &unit.world.consultant.token,
        &format!("/workshop-requests/{id}/accept"),
        &json!({
            "starts_at": "2026-03-12T09:00:00+01:00",
            "ends_at": "2026-03-12T11:00:00+01:00",
            "location": "Storgatan 1",
        }),
    )
    .await
    .should_be(200);
    app.dispatch().await;

    // Then the one who asked hears it in English, and the contacts get the invitation
    let mails = app.smtp.mails_to(&unit.contact_en.email);
    let answer = mails
        .iter()
        .find(|m| m.subject.starts_with("Your workshop is booked"))
        .expect("the answer");
    assert!(answer.text.contains("Storgatan 1"), "{}", answer.text);
    assert!(answer.text.contains("12 March 2026"), "{}", answer.text);
    let invited = app.mail_of_kind("session_scheduled").await;
    let invited: Vec<String> = invited.into_iter().map(|(to, _)| to).collect();
    assert_eq!(
        crate::helpers::sorted(invited),
        unit.contacts_and_consultant()
    );
    assert!(mails.iter().any(|m| m.calendar.is_some()));
}

#[actix_rt::test]
async fn a_declined_request_reaches_the_one_who_asked_with_the_reason() {
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let id = ask(&app, &unit.contact_sv.token).await;
    app.post(
        &app.admin.token,
        &format!("/workshop-requests/{id}/decline"),
        &json!({"reason": "Inga lediga datum i vår."}),
    )
    .await
    .should_be(200);
    app.dispatch().await;
    let declined = app.mail_of_kind("workshop_declined").await;
    let to: Vec<String> = declined.into_iter().map(|(to, _)| to).collect();
    assert_eq!(to, vec![unit.contact_sv.email.clone()]);
    let mails = app.smtp.mails_to(&unit.contact_sv.email);
    let mail = mails
        .iter()
        .find(|m| m.subject.contains("kan inte tillgodoses"))
        .expect("the answer in Swedish");
    assert!(
        mail.text.contains("Inga lediga datum i vår."),
        "{}",
        mail.text
    );
}

#[actix_rt::test]
async fn a_request_accepted_as_an_open_event_tells_the_one_who_asked_and_invites_nobody() {
    // Given an English contact's request
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    let id = ask(&app, &unit.contact_en.token).await;

    // When staff book it as an open event for the organisation
    app.post(
        &unit.world.consultant.token,
        &format!("/workshop-requests/{id}/accept"),
        &json!({
            "schedule_as": "event",
            "starts_at": "2026-03-12T09:00:00+01:00",
            "ends_at": "2026-03-12T11:00:00+01:00",
            "location": "Stadshuset",
        }),
    )
    .await
    .should_be(200);
    app.dispatch().await;

    // Then the one who asked hears it is an open event; no session invitation goes out
    let mails = app.smtp.mails_to(&unit.contact_en.email);
    let answer = mails
        .iter()
        .find(|m| m.subject.starts_with("Your workshop is booked"))
        .expect("the answer");
    assert!(answer.text.contains("Stadshuset"), "{}", answer.text);
    assert!(answer.text.contains("open event"), "{}", answer.text);
    assert!(
        !answer.text.contains("calendar invitation"),
        "{}",
        answer.text
    );
    assert!(app.mail_of_kind("session_scheduled").await.is_empty());
}
