//! The public complaint form, `/complaints/new`, over plain HTTP: reached from the
//! verification page with the code filled in, refused input kept with the refusal
//! next to its field and nothing stored, CSRF keyed with the pre-session cookie as
//! the log-in form's is, and throttled by the API's own use case.

use crate::appeals::kinds;
use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::web_session::{csrf_of, Web};

/// The complaints stored, as the admin reads them through the API.
async fn stored(app: &TestApp) -> Vec<serde_json::Value> {
    app.get(&app.admin.token, "/complaints?limit=200")
        .await
        .should_be(200)
        .items()
}

/// The form's page and its CSRF token, fetched as a browser would.
async fn form(web: &mut Web, path: &str) -> (String, String) {
    let page = web.get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.text);
    let csrf = csrf_of(&page.text);
    (page.text, csrf)
}

#[actix_rt::test]
async fn a_complaint_filed_from_the_verification_pages_link_is_received_and_in_the_units_history() {
    // Given a certified unit and its verification page
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let case = app.case(&world.case_id).await;
    let code = case["certificate"]["verification_code"]
        .as_str()
        .expect("a code")
        .to_string();
    let mut web = Web::anonymous(&app);
    let verify = web.get(&format!("/verify/{code}?lang=en")).await;
    assert_eq!(verify.status, 200, "{}", verify.text);
    let link = format!("/complaints/new?about={code}&amp;lang=en");
    assert!(verify.text.contains(&link), "{}", verify.text);

    // When the reader follows the link, in English
    let (page, csrf) = form(&mut web, &link.replace("&amp;", "&")).await;
    assert!(page.contains("Make a complaint"), "{page}");
    assert!(page.contains(&format!("value=\"{code}\"")), "{page}");
    assert!(page.contains("only to answer you"), "{page}");
    let before = kinds(&app, &world.case_id).await;
    let sent = web
        .post_raw(
            "/complaints/new",
            &[
                ("about", &code),
                ("text", "The audit was rushed."),
                ("email", "Reader@Example.se"),
                ("language", "en"),
                ("csrf", &csrf),
            ],
        )
        .await;

    // Then they are thanked with the receipt number, and the complaint is stored once
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert!(
        sent.text
            .contains("Thank you — we have received your complaint."),
        "{}",
        sent.text
    );
    let complaints = stored(&app).await;
    assert_eq!(complaints.len(), 1, "{complaints:?}");
    let id = complaints[0]["id"].as_str().expect("an id");
    assert!(sent.text.contains(id), "the receipt number: {}", sent.text);
    assert_eq!(complaints[0]["case_id"], world.case_id.as_str());
    assert_eq!(complaints[0]["email"], "reader@example.se");
    assert_eq!(complaints[0]["language"], "en");
    let mut expected = before;
    expected.push("complaint_received".into());
    assert_eq!(kinds(&app, &world.case_id).await, expected);
}

#[actix_rt::test]
async fn a_refused_complaint_keeps_what_was_typed_names_the_field_and_stores_nothing() {
    // Given the form in Swedish
    let app = spawn_app().await;
    let mut web = Web::anonymous(&app);
    let (page, csrf) = form(&mut web, "/complaints/new?lang=sv").await;
    assert!(page.contains("Lämna ett klagomål"), "{page}");

    // When a code no certificate has is sent
    let sent = web
        .post_raw(
            "/complaints/new",
            &[
                ("about", "NOSUCHCODE"),
                ("text", "Dåligt bemötande."),
                ("email", ""),
                ("language", "sv"),
                ("csrf", &csrf),
            ],
        )
        .await;
    // Then the form comes back with the input and the refusal on the code's field
    assert_eq!(sent.status, 422, "{}", sent.text);
    assert!(sent.text.contains("value=\"NOSUCHCODE\""), "{}", sent.text);
    assert!(sent.text.contains("Dåligt bemötande."), "{}", sent.text);
    assert!(
        sent.text.contains("id=\"complaint-about-error\""),
        "{}",
        sent.text
    );
    assert!(
        sent.text.contains("inget certifikat har denna kod"),
        "{}",
        sent.text
    );

    // And an empty text and a bad address are named too
    let sent = web
        .post_raw(
            "/complaints/new",
            &[
                ("about", ""),
                ("text", "  "),
                ("email", "inte-en-adress"),
                ("language", "sv"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(sent.status, 422, "{}", sent.text);
    assert!(
        sent.text.contains("value=\"inte-en-adress\""),
        "{}",
        sent.text
    );
    assert!(
        sent.text.contains("id=\"complaint-email-error\""),
        "{}",
        sent.text
    );
    assert!(stored(&app).await.is_empty());
}

#[actix_rt::test]
async fn a_complaint_without_the_pre_session_token_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let fields = [("text", "Klagomål utan formulär."), ("language", "sv")];
    // Without any pre-session cookie
    let mut stranger = Web::anonymous(&app);
    assert_eq!(
        stranger.post_raw("/complaints/new", &fields).await.status,
        403
    );
    // With the cookie but no token, and with another page's token
    let mut web = Web::anonymous(&app);
    let (_, csrf) = form(&mut web, "/complaints/new").await;
    assert_eq!(web.post_raw("/complaints/new", &fields).await.status, 403);
    let mut other = Web::anonymous(&app);
    let (_, other_csrf) = form(&mut other, "/complaints/new").await;
    let mut forged = fields.to_vec();
    forged.push(("csrf", &other_csrf));
    assert_eq!(web.post_raw("/complaints/new", &forged).await.status, 403);
    assert!(stored(&app).await.is_empty());
    // The same form with its own token is received, so the refusals were the token's
    let mut sent = fields.to_vec();
    sent.push(("csrf", &csrf));
    assert_eq!(web.post_raw("/complaints/new", &sent).await.status, 200);
    assert_eq!(stored(&app).await.len(), 1);
}

#[actix_rt::test]
async fn complaints_through_the_form_are_throttled_like_the_apis() {
    // Given an app whose log-in limits allow two attempts before a back-off
    let app = spawn_app_with(|s| s.auth.max_failed_logins = 2).await;
    let mut web = Web::anonymous(&app);
    let (_, csrf) = form(&mut web, "/complaints/new").await;
    let fields = [
        ("text", "Samma klagomål igen."),
        ("language", "sv"),
        ("csrf", csrf.as_str()),
    ];
    // When one address sends the form five times
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let sent = web.post_raw("/complaints/new", &fields).await;
        if sent.status == 429 {
            assert!(sent.header("retry-after").is_some(), "{}", sent.text);
            assert!(
                sent.text.contains("För många klagomål från din adress"),
                "{}",
                sent.text
            );
            assert!(sent.text.contains("Samma klagomål igen."), "{}", sent.text);
        }
        statuses.push(sent.status);
    }
    // Then the first two are received, the rest wait, and only those received are kept
    assert_eq!(statuses[..2], [200, 200], "{statuses:?}");
    assert!(statuses[2..].contains(&429), "{statuses:?}");
    let received = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(stored(&app).await.len(), received);
}
