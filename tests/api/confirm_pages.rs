//! The case page's steps that cannot be undone — withdraw, suspend, revoke, cancel a
//! meeting, approve — over plain HTTP: the first send shows a confirmation page and
//! changes nothing; only the confirmed send acts; a missing reason is refused next to
//! its field with nothing changed; the buttons look destructive.

use serde_json::Value;

use crate::helpers::{spawn_app, TestApp};
use crate::web_session::{assert_unchanged, snapshot, Web};

/// The case's status and the newest history entry, as the admin reads them.
async fn status_and_last_event(app: &TestApp, case_id: &str) -> (String, Value) {
    let status = app.case(case_id).await["status"]
        .as_str()
        .expect("a status")
        .to_string();
    let events = app
        .get_events(&app.admin.token, case_id)
        .await
        .should_be(200)
        .items();
    (status, events.last().cloned().unwrap_or(Value::Null))
}

#[actix_rt::test]
async fn withdrawing_asks_first_changes_nothing_and_keeps_the_reason_once_confirmed() {
    // Given a case and its consultant on its page, where withdraw is a red button
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let mut web = Web::login(&app, &world.consultant.email).await;
    let path = format!("/cases/{}", world.case_id);
    let page = web.get(&path).await;
    assert!(
        page.text
            .contains("<button type=\"submit\" class=\"danger\">Avbryt ärendet</button>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Skäl (valfritt"), "{}", page.text);
    let version = app.version(&world.case_id).await.to_string();
    let action = format!("{path}/transitions");
    let fields = [
        ("action", "withdraw"),
        ("version", version.as_str()),
        ("comment", "Enheten läggs ned vid årsskiftet"),
    ];

    // When the form is sent, the confirmation page asks and nothing changes
    let before = snapshot(&app).await;
    let asked = web.post(&action, &fields).await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert!(asked.text.contains("Avbryta ärendet?"), "{}", asked.text);
    assert!(
        asked.text.contains("Enheten läggs ned vid årsskiftet"),
        "{}",
        asked.text
    );
    assert!(
        asked
            .text
            .contains("class=\"danger\">Ja, avbryt ärendet</button>"),
        "{}",
        asked.text
    );
    assert!(
        asked.text.contains("name=\"step\" value=\"confirm\""),
        "{}",
        asked.text
    );
    assert_unchanged(&before, &snapshot(&app).await, "the first send");

    // Then the confirmed send withdraws the case, with the reason in its history
    let mut confirmed = fields.to_vec();
    confirmed.push(("step", "confirm"));
    let done = web.post(&action, &confirmed).await;
    assert_eq!(done.status, 303, "{}", done.text);
    let (status, last) = status_and_last_event(&app, &world.case_id).await;
    assert_eq!(status, "withdrawn");
    assert_eq!(last["kind"], "withdrawn", "{last}");
    assert_eq!(last["comment"], "Enheten läggs ned vid årsskiftet");
}

#[actix_rt::test]
async fn suspending_and_revoking_need_a_reason_before_they_ask_and_act_only_once_confirmed() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let mut admin = Web::login(&app, &app.admin.email).await;
    let path = format!("/cases/{}", world.case_id);
    let page = admin.get(&path).await;
    for label in ["Upphäv certifikatet tillfälligt", "Återkalla certifikatet"] {
        assert!(
            page.text.contains(&format!(
                "<button type=\"submit\" class=\"danger\">{label}</button>"
            )),
            "{label}: {}",
            page.text
        );
    }
    let action = format!("{path}/transitions");
    for (word, title, done_status) in [
        ("suspend", "Upphäva certifikatet tillfälligt?", "suspended"),
        ("revoke", "Återkalla certifikatet?", "revoked"),
    ] {
        let version = app.version(&world.case_id).await.to_string();
        // A blank reason is refused next to its field; nothing changes
        let before = snapshot(&app).await;
        let refused = admin
            .post(
                &action,
                &[("action", word), ("version", &version), ("comment", "  ")],
            )
            .await;
        assert_eq!(refused.status, 422, "{word}: {}", refused.text);
        assert!(
            refused
                .text
                .contains(&format!("id=\"{word}-comment-error\"")),
            "{word}: {}",
            refused.text
        );
        assert!(!refused.text.contains(title), "{word}: {}", refused.text);
        // A forged confirmation without a reason is refused by the domain too
        let forged = admin
            .post(
                &action,
                &[("action", word), ("version", &version), ("step", "confirm")],
            )
            .await;
        assert_eq!(forged.status, 422, "{word}: {}", forged.text);
        assert_unchanged(&before, &snapshot(&app).await, word);

        // With a reason it asks first, still changing nothing
        let reason = "Allvarliga brister i uppföljningen";
        let fields = [("action", word), ("version", &version), ("comment", reason)];
        let asked = admin.post(&action, &fields).await;
        assert_eq!(asked.status, 200, "{word}: {}", asked.text);
        assert!(asked.text.contains(title), "{word}: {}", asked.text);
        assert_unchanged(&before, &snapshot(&app).await, word);

        // And the confirmed send acts, keeping the reason
        let mut confirmed = fields.to_vec();
        confirmed.push(("step", "confirm"));
        let done = admin.post(&action, &confirmed).await;
        assert_eq!(done.status, 303, "{word}: {}", done.text);
        let (status, last) = status_and_last_event(&app, &world.case_id).await;
        assert_eq!(status, done_status, "{word}");
        assert_eq!(last["comment"], reason, "{word}: {last}");
        if word == "suspend" {
            // Back to a valid certificate, so that it can be revoked next.
            let version = app.version(&world.case_id).await.to_string();
            let back = admin
                .post(&action, &[("action", "reinstate"), ("version", &version)])
                .await;
            assert_eq!(back.status, 303, "{}", back.text);
        }
    }
}

#[actix_rt::test]
async fn cancelling_a_meeting_asks_first_and_its_button_is_apart_from_attendance() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let token = &world.consultant.token;
    let sid = app
        .schedule_session(token, &world.case_id, "kickoff", 7)
        .await;
    let mut web = Web::login(&app, &world.consultant.email).await;
    let path = format!("/cases/{}", world.case_id);
    let page = web.get(&path).await;
    assert!(
        page.text
            .contains(&format!("<div class=\"session-cancel\"><form method=\"post\" action=\"/cases/{}/sessions/{sid}/cancel\"", world.case_id)),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("class=\"danger\">Ställ in "),
        "{}",
        page.text
    );
    let cancel = format!("{path}/sessions/{sid}/cancel");
    let before = snapshot(&app).await;
    let asked = web.post(&cancel, &[]).await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert!(asked.text.contains("Ja, ställ in mötet"), "{}", asked.text);
    assert_unchanged(&before, &snapshot(&app).await, "the first send");

    let done = web.post(&cancel, &[("step", "confirm")]).await;
    assert_eq!(done.status, 303, "{}", done.text);
    let sessions = app.get_sessions(token, &world.case_id).await.should_be(200);
    let session = sessions
        .items()
        .into_iter()
        .find(|s| s["id"] == sid.as_str())
        .expect("the session");
    assert_eq!(session["cancelled"], true, "{session}");
}

#[actix_rt::test]
async fn approving_an_audit_asks_first_and_certifies_only_once_confirmed() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let mut auditor = Web::login(&app, &world.auditor.email).await;
    let path = format!("/audits/{}", world.case_id);
    let page = auditor.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let version = app.version(&world.case_id).await.to_string();
    let fields = [
        ("action", "approve"),
        ("version", version.as_str()),
        ("comment", "Väl genomfört"),
    ];
    let before = snapshot(&app).await;
    let asked = auditor.post(&path, &fields).await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert!(
        asked.text.contains("Godkänna granskningen?"),
        "{}",
        asked.text
    );
    assert!(asked.text.contains("Väl genomfört"), "{}", asked.text);
    assert_unchanged(&before, &snapshot(&app).await, "the first send");

    let mut confirmed = fields.to_vec();
    confirmed.push(("step", "confirm"));
    let done = auditor.post(&path, &confirmed).await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(app.case(&world.case_id).await["stage"], "certified");
}

#[actix_rt::test]
async fn another_organisations_coordinator_gets_404_from_the_first_send_too() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let other = app.create_organisation("Annan kommun").await;
    let coordinator = app.create_user("coordinator", Some(&other), None).await;
    let mut web = Web::login(&app, &coordinator.email).await;
    let version = app.version(&world.case_id).await.to_string();
    let before = snapshot(&app).await;
    let asked = web
        .post(
            &format!("/cases/{}/transitions", world.case_id),
            &[("action", "withdraw"), ("version", &version)],
        )
        .await;
    assert_eq!(asked.status, 404, "{}", asked.text);
    assert_unchanged(&before, &snapshot(&app).await, "another tenant's send");
}
