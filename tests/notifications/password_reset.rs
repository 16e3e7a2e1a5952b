//! Set-password mails through a real SMTP server on loopback: the reset link works
//! once, then answers as an unknown one; a user made without a password gets a
//! welcome mail in their language whose link sets it.

use serde_json::json;

use crate::helpers::{spawn_app, Reply, TestApp, PASSWORD, PUBLIC_URL};

const NEW_PASSWORD: &str = "a brand new and long passphrase";

/// The set-password link in a mail's text.
#[track_caller]
fn link_in(text: &str) -> String {
    let start = text
        .find(&format!("{PUBLIC_URL}/password-reset/"))
        .unwrap_or_else(|| panic!("the mail has a link: {text}"));
    text[start..]
        .split_whitespace()
        .next()
        .expect("the link ends")
        .to_string()
}

/// Sets `password` through the API at the path of `link`.
async fn use_link(app: &TestApp, link: &str, password: &str) -> Reply {
    let token = link.rsplit('/').next().expect("a token");
    app.call(
        awc::http::Method::POST,
        &format!("/api/v1/auth/password-reset/{token}"),
        None,
        &[],
        Some(&json!({ "password": password })),
    )
    .await
}

#[actix_rt::test]
async fn the_reset_link_from_the_mail_works_once_then_answers_as_unknown() {
    // Given a consultant who asks for a new password
    let app = spawn_app().await;
    let consultant = app
        .create_person("consultant", "Karin Konsult", None, "sv")
        .await;
    app.call(
        awc::http::Method::POST,
        "/api/v1/auth/password-reset",
        None,
        &[],
        Some(&json!({ "email": consultant.email })),
    )
    .await
    .should_be(202);
    app.dispatch().await;
    // Then a Swedish mail with a link arrives
    let mails = app.smtp.mails_to(&consultant.email);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail.subject, "Välj ett nytt lösenord till Stegvis");
    assert!(mail.text.contains("60 minuter"), "{}", mail.text);
    let link = link_in(&mail.text);
    assert!(mail.html.contains(&link), "{}", mail.html);
    // Whose page offers the form
    let page = app
        .call(
            awc::http::Method::GET,
            &link[PUBLIC_URL.len()..],
            None,
            &[],
            None,
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    // And which sets the password once
    use_link(&app, &link, NEW_PASSWORD).await.should_be(204);
    app.login(&consultant.email, NEW_PASSWORD).await;
    // Then answers exactly as an unknown link does
    let again = use_link(&app, &link, "yet another long passphrase")
        .await
        .should_be_problem(404, None);
    let unknown = use_link(
        &app,
        &format!("{PUBLIC_URL}/password-reset/{}", "0".repeat(64)),
        NEW_PASSWORD,
    )
    .await
    .should_be_problem(404, None);
    assert_eq!(again.body, unknown.body);
    let page = app
        .call(
            awc::http::Method::GET,
            &link[PUBLIC_URL.len()..],
            None,
            &[],
            None,
        )
        .await;
    assert_eq!(page.status, 404, "{}", page.text);
    app.post_token(&consultant.email, PASSWORD)
        .await
        .should_be_problem(401, None);
}

#[actix_rt::test]
async fn a_user_made_without_a_password_gets_a_welcome_mail_in_their_language() {
    // Given an admin who creates an English-speaking auditor without a password
    let app = spawn_app().await;
    let email = "new-auditor@example.se";
    app.post(
        &app.admin.token,
        "/users",
        &json!({ "email": email, "name": "Nora New", "role": "auditor", "language": "en" }),
    )
    .await
    .should_be(201);
    app.dispatch().await;
    // Then the welcome mail is in English, names the role, and its link sets it
    let mails = app.smtp.mails_to(email);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail.subject, "Welcome to Stegvis: choose your password");
    assert!(mail.text.contains("Hello Nora New"), "{}", mail.text);
    assert!(mail.text.contains("7 days"), "{}", mail.text);
    let link = link_in(&mail.text);
    use_link(&app, &link, NEW_PASSWORD).await.should_be(204);
    app.login(email, NEW_PASSWORD).await;
    use_link(&app, &link, NEW_PASSWORD)
        .await
        .should_be_problem(404, None);
}
