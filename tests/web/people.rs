//! The people pages in Chromium, axe-core clean and at 360 px, in Swedish and
//! English: the user list with its filters, one user's page, the audit log, the
//! profile, and the password reset pages; the filters work by keyboard alone.

use fantoccini::key::Key;
use fantoccini::Locator;

use crate::app::{spawn_app, PASSWORD};
use crate::browser::{words, Browser};

async fn people(lang: &'static str) {
    let app = spawn_app().await;
    let b = Browser::start(&app.address, lang).await;

    // Before log-in: the reset pages
    b.goto(&format!("/password-reset?lang={lang}")).await;
    b.check("password-reset").await;
    b.check_at_360("password-reset", &app.dir).await;
    b.submit("password_reset", &[("email", "nobody@example.se")])
        .await;
    assert!(
        b.text().await.contains(&words(lang, "password_reset.sent")),
        "{}",
        b.text().await
    );
    b.check("password-reset-sent").await;
    b.goto(&format!("/password-reset/{}", "0".repeat(64))).await;
    b.check("password-reset-dead").await;

    // The admin's pages
    b.login(&app.admin_email, PASSWORD).await;
    b.goto("/admin/users").await;
    b.check("users").await;
    b.check_at_360("users", &app.dir).await;
    // The search, by keyboard: type into it and press Enter
    b.client
        .find(Locator::Id("list-q"))
        .await
        .expect("the search field")
        .send_keys(&format!("ada{}", Key::Enter))
        .await
        .expect("typed");
    crate::browser::tokio_sleep(300).await;
    assert!(
        b.path().await.starts_with("/admin/users"),
        "{}",
        b.path().await
    );
    assert!(b.text().await.contains("Ada Admin"), "{}", b.text().await);
    let link = b
        .client
        .find(Locator::Css("table a[href^='/admin/users/']"))
        .await
        .expect("a user's link");
    let href = link.attr("href").await.expect("href").expect("an href");
    b.goto(&href).await;
    b.check("user").await;
    b.check_at_360("user", &app.dir).await;
    b.goto("/admin/audit-log").await;
    assert!(
        b.text().await.contains(&words(lang, "access.sign_in")),
        "{}",
        b.text().await
    );
    b.check("audit-log").await;
    b.check_at_360("audit-log", &app.dir).await;
    b.goto("/profile").await;
    b.check("profile").await;
    b.check_at_360("profile", &app.dir).await;
    b.submit(
        "profile_password",
        &[
            ("current_password", "not my password"),
            ("password", "short"),
        ],
    )
    .await;
    b.check("profile-refused").await;
}

#[actix_rt::test]
async fn the_people_pages_in_swedish() {
    people("sv").await;
}

#[actix_rt::test]
async fn the_people_pages_in_english() {
    people("en").await;
}
