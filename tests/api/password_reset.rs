//! `POST /auth/password-reset` and `POST /auth/password-reset/{token}` over HTTP: the
//! same 202 for any address, one and the same 404 for every link that does not work,
//! and a new password ends every session of the person.

use serde_json::json;

use crate::helpers::{spawn_app, TestApp, PASSWORD};
use crate::web_session::Web;

const NEW_PASSWORD: &str = "a brand new and long passphrase";

async fn ask(app: &TestApp, email: &str) -> crate::helpers::Reply {
    app.call(
        awc::http::Method::POST,
        "/api/v1/auth/password-reset",
        None,
        &[],
        Some(&json!({ "email": email })),
    )
    .await
}

async fn set(app: &TestApp, token: &str, password: &str) -> crate::helpers::Reply {
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
async fn an_unknown_address_gets_the_same_202_and_no_mail() {
    // Given a known consultant and an address nobody has
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let nobody = "nobody-at-all@example.se";
    // When both ask for a reset
    let known = ask(&app, &consultant.email).await.should_be(202);
    let unknown = ask(&app, nobody).await.should_be(202);
    // Then the answers are the same, and only the known address gets a mail
    assert_eq!(known.text, unknown.text);
    assert_eq!(known.body, unknown.body);
    assert!(app.outbox_to(nobody).is_empty());
    let mails = app.outbox_to(&consultant.email);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, "password_reset");
    assert_eq!(mails[0].1["details"]["valid_minutes"], 60);
}

#[actix_rt::test]
async fn a_reset_sets_the_password_and_ends_every_session_and_token() {
    // Given a consultant signed in through the API and the pages
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let mut web = Web::login(&app, &consultant.email).await;
    // When they reset their password with the mailed link
    ask(&app, &consultant.email).await.should_be(202);
    let token = app.newest_link_token(&consultant.email);
    let reply = set(&app, &token, NEW_PASSWORD).await.should_be(204);
    assert!(reply.text.is_empty(), "{}", reply.text);
    // Then the old token and the web session have ended
    app.get_me(&consultant.token)
        .await
        .should_be_problem(401, None);
    let page = web.get("/profile").await;
    assert_eq!(page.status, 303, "{}", page.text);
    // And the new password signs in, the old one does not
    app.post_token(&consultant.email, PASSWORD)
        .await
        .should_be_problem(401, None);
    app.login(&consultant.email, NEW_PASSWORD).await;
}

#[actix_rt::test]
async fn every_link_that_does_not_work_gets_one_and_the_same_answer() {
    let app = spawn_app().await;
    let used = app.create_user("consultant", None, None).await;
    let superseded = app.create_user("auditor", None, None).await;
    let expired = app.create_user("consultant", None, None).await;
    let closed = app.create_user("consultant", None, None).await;

    // A used link
    ask(&app, &used.email).await.should_be(202);
    let used_token = app.newest_link_token(&used.email);
    set(&app, &used_token, NEW_PASSWORD).await.should_be(204);
    // A link of a closed account
    ask(&app, &closed.email).await.should_be(202);
    let closed_token = app.newest_link_token(&closed.email);
    app.patch(
        &app.admin.token,
        &format!("/users/{}", closed.id),
        &json!({ "active": false }),
    )
    .await
    .should_be(200);
    // An expired link: asked for, then 61 minutes pass
    ask(&app, &expired.email).await.should_be(202);
    let expired_token = app.newest_link_token(&expired.email);
    app.clock.advance(chrono::Duration::minutes(61));
    // A link replaced by a newer one (the newer one works)
    ask(&app, &superseded.email).await.should_be(202);
    let old_token = app.newest_link_token(&superseded.email);
    ask(&app, &superseded.email).await.should_be(202);
    let new_token = app.newest_link_token(&superseded.email);
    assert_ne!(old_token, new_token);

    let unknown = set(&app, &"ab".repeat(32), NEW_PASSWORD)
        .await
        .should_be_problem(404, None);
    for token in [&used_token, &old_token, &closed_token, &expired_token] {
        let reply = set(&app, token, NEW_PASSWORD)
            .await
            .should_be_problem(404, None);
        assert_eq!(reply.body, unknown.body, "{token}");
    }
    // And none of them changed a password
    app.login(&superseded.email, PASSWORD).await;
    app.login(&expired.email, PASSWORD).await;
    app.post_token(&closed.email, NEW_PASSWORD)
        .await
        .should_be_problem(401, None);
    // A closed account's links are gone for good, also once it is reopened
    app.patch(
        &app.admin.token,
        &format!("/users/{}", closed.id),
        &json!({ "active": true }),
    )
    .await
    .should_be(200);
    set(&app, &closed_token, NEW_PASSWORD)
        .await
        .should_be_problem(404, None);
    // While the newest link of the one who asked twice still works
    set(&app, &new_token, NEW_PASSWORD).await.should_be(204);
}

#[actix_rt::test]
async fn a_weak_new_password_is_refused_naming_the_field_and_the_link_still_works() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    ask(&app, &consultant.email).await.should_be(202);
    let token = app.newest_link_token(&consultant.email);
    for weak in ["short", "password1234", "            "] {
        set(&app, &token, weak)
            .await
            .should_be_problem(422, Some("password"));
    }
    app.login(&consultant.email, PASSWORD).await;
    set(&app, &token, NEW_PASSWORD).await.should_be(204);
}

#[actix_rt::test]
async fn asking_again_and_again_is_throttled_like_log_in() {
    let app = spawn_app().await;
    let consultant = app.create_user("consultant", None, None).await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(ask(&app, &consultant.email).await.status.as_u16());
    }
    assert_eq!(statuses[0], 202, "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[actix_rt::test]
async fn a_user_made_without_a_password_gets_a_welcome_link_valid_seven_days() {
    // Given an admin who creates a user without a password
    let app = spawn_app().await;
    let email = "welcome-me@example.se";
    let reply = app
        .post_users(
            &app.admin.token,
            &json!({ "email": email, "name": "Vera Välkommen", "role": "consultant", "language": "en" }),
        )
        .await
        .should_be(201);
    // Then they get a welcome mail in their language with a link
    let mails = app.outbox_to(email);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, "welcome");
    assert_eq!(mails[0].1["lang"], "en");
    assert_eq!(mails[0].1["details"]["valid_days"], 7);
    let token = app.newest_link_token(email);
    // Which still works after six days, and sets the password once
    app.clock.advance(chrono::Duration::days(6));
    set(&app, &token, NEW_PASSWORD).await.should_be(204);
    let signed_in = app.login(email, NEW_PASSWORD).await;
    let me = app.get_me(&signed_in).await.should_be(200);
    assert_eq!(me.body["id"], reply.id().as_str());
    set(&app, &token, NEW_PASSWORD)
        .await
        .should_be_problem(404, None);
}

#[actix_rt::test]
async fn a_welcome_link_stops_working_after_seven_days() {
    let app = spawn_app().await;
    let email = "late-comer@example.se";
    app.post_users(
        &app.admin.token,
        &json!({ "email": email, "name": "Sen Ankomst", "role": "auditor" }),
    )
    .await
    .should_be(201);
    let token = app.newest_link_token(email);
    app.clock
        .advance(chrono::Duration::days(7) + chrono::Duration::minutes(1));
    set(&app, &token, NEW_PASSWORD)
        .await
        .should_be_problem(404, None);
}
