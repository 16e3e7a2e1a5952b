//! The appeal and the certification decision on the case page, over plain HTTP: each
//! offered exactly when its use case would accept it, sent first to a confirmation
//! page (nothing stored), then confirmed; refusals shown on the page (422 next to the
//! field, 409 as a clear message, 403 and 404 as the policy's pages).

use crate::appeals::{kinds, returned_case, unit_contact};
use crate::decision::{a_case_decided_by_an_admin, approve};
use crate::helpers::{spawn_app, TestApp};
use crate::web_session::Web;

/// The appeals of a case, as the API lists them to an admin.
async fn appeals_of(app: &TestApp, case_id: &str) -> Vec<serde_json::Value> {
    app.get(&app.admin.token, "/appeals?limit=200")
        .await
        .should_be(200)
        .items()
        .into_iter()
        .filter(|a| a["case_id"] == case_id)
        .collect()
}

const APPEAL_FORM: &str = "id=\"appeal\"";
const DECISION_FORM: &str = "id=\"decision\"";

#[actix_rt::test]
async fn a_unit_contact_appeals_a_return_from_the_case_page_after_confirming_it() {
    // Given a returned case and its unit's contact on the case page
    let app = spawn_app().await;
    let world = returned_case(&app).await;
    let contact = unit_contact(&app, &world).await;
    let mut web = Web::login(&app, &contact.email).await;
    let path = format!("/cases/{}", world.case_id);
    let page = web.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text
            .contains("<h2 id=\"appeal-heading\">Överklaga</h2>"),
        "{}",
        page.text
    );
    assert!(page.text.contains(APPEAL_FORM), "{}", page.text);
    assert!(
        page.text.contains("Granskaren skickade tillbaka ärendet"),
        "{}",
        page.text
    );

    // When the contact sends the form, it asks first and stores nothing
    let action = format!("/cases/{}/appeal", world.case_id);
    let text = "Rutinen finns i ledningssystemet.\nSe avsnitt 4.";
    let asked = web
        .post(&action, &[("step", "review"), ("text", text)])
        .await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert!(
        asked.text.contains("Skicka överklagandet?"),
        "{}",
        asked.text
    );
    assert!(asked.text.contains("återförvisning"), "{}", asked.text);
    assert!(
        asked.text.contains("Ja, skicka överklagandet"),
        "{}",
        asked.text
    );
    assert!(
        asked.text.contains("name=\"step\" value=\"confirm\""),
        "{}",
        asked.text
    );
    assert!(appeals_of(&app, &world.case_id).await.is_empty());

    // And once confirmed, the appeal is filed by the API's use case
    let filed = web
        .post(&action, &[("step", "confirm"), ("text", text)])
        .await;
    assert_eq!(filed.status, 303, "{}", filed.text);
    assert_eq!(filed.header("location").as_deref(), Some(path.as_str()));
    let stored = appeals_of(&app, &world.case_id).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0]["ground"], "return");
    assert_eq!(stored[0]["text"], text);
    assert_eq!(stored[0]["filed_by"], contact.id.as_str());
    assert_eq!(
        kinds(&app, &world.case_id).await.last().map(String::as_str),
        Some("appeal_filed")
    );

    // Then the case page shows it awaiting a decision, and offers no second appeal
    let page = web.get(&path).await;
    assert!(
        page.text.contains("Överklagandet är inlämnat."),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("Överklagande av återförvisning"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Väntar på beslut"), "{}", page.text);
    assert!(!page.text.contains(APPEAL_FORM), "{}", page.text);
}

#[actix_rt::test]
async fn the_appeal_form_is_offered_only_to_the_units_people_and_only_with_something_to_appeal() {
    let app = spawn_app().await;
    let returned = returned_case(&app).await;
    let certified = app.given_a_case_in("certified").await;
    let certified_contact = unit_contact(&app, &certified).await;
    let path = format!("/cases/{}", returned.case_id);
    // The consultant of a returned case is offered it, in English too
    let mut consultant = Web::login(&app, &returned.consultant.email).await;
    let page = consultant.get(&format!("{path}?lang=en")).await;
    assert!(
        page.text.contains("<h2 id=\"appeal-heading\">Appeal</h2>"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("Why the decision should be changed"),
        "{}",
        page.text
    );
    // Its auditor and an admin are not
    for email in [&returned.auditor.email, &app.admin.email] {
        let mut web = Web::login(&app, email).await;
        let page = web.get(&path).await;
        assert_eq!(page.status, 200, "{email}: {}", page.text);
        assert!(!page.text.contains(APPEAL_FORM), "{email}: {}", page.text);
    }
    // Nor is the contact of a certified case, which has nothing to appeal
    let mut web = Web::login(&app, &certified_contact.email).await;
    let page = web.get(&format!("/cases/{}", certified.case_id)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(!page.text.contains(APPEAL_FORM), "{}", page.text);
}

#[actix_rt::test]
async fn an_empty_appeal_is_named_next_to_its_field_and_nothing_to_appeal_is_a_clear_message() {
    let app = spawn_app().await;
    let world = returned_case(&app).await;
    let contact = unit_contact(&app, &world).await;
    let mut web = Web::login(&app, &contact.email).await;
    let action = format!("/cases/{}/appeal", world.case_id);
    // A blank text, at either send, is refused next to the field
    for step in ["review", "confirm"] {
        let refused = web.post(&action, &[("step", step), ("text", "   ")]).await;
        assert_eq!(refused.status, 422, "{step}: {}", refused.text);
        assert!(
            refused.text.contains("id=\"appeal-text-error\""),
            "{step}: {}",
            refused.text
        );
        assert!(
            refused.text.contains("Rätta det som är markerat nedan."),
            "{}",
            refused.text
        );
    }
    assert!(appeals_of(&app, &world.case_id).await.is_empty());

    // A case with nothing to appeal answers 409 with the reason above the page
    let certified = app.given_a_case_in("certified").await;
    let certified_contact = unit_contact(&app, &certified).await;
    let mut web = Web::login(&app, &certified_contact.email).await;
    let action = format!("/cases/{}/appeal", certified.case_id);
    for step in ["review", "confirm"] {
        let refused = web
            .post(&action, &[("step", step), ("text", "Vi håller inte med.")])
            .await;
        assert_eq!(refused.status, 409, "{step}: {}", refused.text);
        assert!(
            refused
                .text
                .contains("Det finns ingen återförvisning eller inget upphävande att överklaga."),
            "{step}: {}",
            refused.text
        );
    }
    assert!(appeals_of(&app, &certified.case_id).await.is_empty());
}

#[actix_rt::test]
async fn an_appeal_by_the_auditor_is_forbidden_and_by_another_tenant_not_found() {
    let app = spawn_app().await;
    let world = returned_case(&app).await;
    let other = app.given_a_case().await;
    let stranger = unit_contact(&app, &other).await;
    let action = format!("/cases/{}/appeal", world.case_id);
    let fields = [("step", "confirm"), ("text", "Vi håller inte med.")];
    let mut auditor = Web::login(&app, &world.auditor.email).await;
    let refused = auditor.post(&action, &fields).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let mut web = Web::login(&app, &stranger.email).await;
    let refused = web.post(&action, &fields).await;
    assert_eq!(refused.status, 404, "{}", refused.text);
    assert!(appeals_of(&app, &world.case_id).await.is_empty());
    // The same send from the unit's own contact is filed, so the refusals were the policy's
    let contact = unit_contact(&app, &world).await;
    let mut web = Web::login(&app, &contact.email).await;
    assert_eq!(web.post(&action, &fields).await.status, 303);
    assert_eq!(appeals_of(&app, &world.case_id).await.len(), 1);
}

#[actix_rt::test]
async fn an_admin_who_did_not_audit_makes_the_certification_decision_after_confirming_it() {
    // Given a case its auditor recommended, on a programme an admin decides
    let app = spawn_app().await;
    let world = a_case_decided_by_an_admin(&app).await;
    approve(&app, &world).await;
    let path = format!("/cases/{}", world.case_id);
    // Its consultant and auditor are not offered the decision
    for email in [&world.consultant.email, &world.auditor.email] {
        let mut web = Web::login(&app, email).await;
        let page = web.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert!(!page.text.contains(DECISION_FORM), "{email}: {}", page.text);
    }
    // An admin is
    let mut admin = Web::login(&app, &app.admin.email).await;
    let page = admin.get(&path).await;
    assert!(
        page.text.contains("Fatta certifieringsbeslut"),
        "{}",
        page.text
    );
    assert!(page.text.contains(DECISION_FORM), "{}", page.text);
    let action = format!("/cases/{}/decision", world.case_id);

    // An unknown outcome is named next to its field
    let refused = admin
        .post(&action, &[("step", "review"), ("outcome", "maybe")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.text.contains("id=\"decision-outcome-error\""),
        "{}",
        refused.text
    );

    // When the admin sends the form, it asks first and changes nothing
    let fields = [("outcome", "certify"), ("comment", "Allt är på plats.")];
    let mut review = fields.to_vec();
    review.push(("step", "review"));
    let asked = admin.post(&action, &review).await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert!(
        asked.text.contains("Fatta certifieringsbeslutet?"),
        "{}",
        asked.text
    );
    assert!(asked.text.contains("Certifiera enheten"), "{}", asked.text);
    assert_eq!(app.case(&world.case_id).await["status"], "active");

    // Then confirmed, the case is certified by the API's use case
    let mut confirm = fields.to_vec();
    confirm.push(("step", "confirm"));
    let decided = admin.post(&action, &confirm).await;
    assert_eq!(decided.status, 303, "{}", decided.text);
    let case = app.case(&world.case_id).await;
    assert_eq!(case["status"], "certified");
    assert!(case["certificate"]["number"].is_string(), "{case}");
    let page = admin.get(&path).await;
    assert!(
        page.text.contains("Certifieringsbeslutet är fattat."),
        "{}",
        page.text
    );
    assert!(!page.text.contains(DECISION_FORM), "{}", page.text);
}

#[actix_rt::test]
async fn the_decision_is_forbidden_to_the_auditor_even_as_an_admin_and_absent_without_a_recommendation(
) {
    let app = spawn_app().await;
    let world = a_case_decided_by_an_admin(&app).await;
    let action = format!("/cases/{}/decision", world.case_id);
    let fields = [("step", "confirm"), ("outcome", "certify")];
    // Before the auditor recommends: nothing to decide, said plainly
    let mut admin = Web::login(&app, &app.admin.email).await;
    let page = admin.get(&format!("/cases/{}", world.case_id)).await;
    assert!(!page.text.contains(DECISION_FORM), "{}", page.text);
    let refused = admin.post(&action, &fields).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(
        refused
            .text
            .contains("Granskaren har ännu inte rekommenderat certifiering."),
        "{}",
        refused.text
    );
    approve(&app, &world).await;
    // The auditor, made an admin, still may not decide the case they audited
    crate::appeals::make_admin(&app, &world.auditor);
    let mut auditor = Web::login(&app, &world.auditor.email).await;
    let page = auditor.get(&format!("/cases/{}", world.case_id)).await;
    assert!(!page.text.contains(DECISION_FORM), "{}", page.text);
    let refused = auditor.post(&action, &fields).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert_eq!(app.case(&world.case_id).await["status"], "active");
}
